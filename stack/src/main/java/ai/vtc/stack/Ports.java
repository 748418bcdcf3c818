package ai.vtc.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks on the loopback address. */
public final class Ports {
    private Ports() {}

    /** True when nothing listens on {@code host:port} and it can be bound. */
    public static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when something accepts connections on {@code host:port}. */
    public static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port the OS considers free right now. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(StackConfig.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("cannot find a free port on " + StackConfig.HOST, e);
        }
    }
}
