package ai.vtc.florence2.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile or broken checkpoint file is refused with a message that says what is wrong, before it can take
 * more memory than its own size or loop for long. The files are built byte by byte ({@link HostileFiles}); the time
 * limit only stops a hang, it measures nothing.
 */
class HostileCheckpointTest {
    private static final Duration HANG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aWellFormedSafetensorsFileStillReads() throws IOException {
        Path file = HostileFiles.safetensors(
                dir,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                12);
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            assertArrayEquals(new long[] {2}, f.tensors().get("a").shape());
            assertArrayEquals(new float[] {0f}, f.readFloats("b"));
        }
    }

    @Test
    void safetensorsShapesWhoseSizeOverflowsAreRefused() throws IOException {
        refusedSafetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}",
                0,
                "overflows a 64-bit count");
        refusedSafetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2,-2],\"data_offsets\":[0,16]}}", 16, "negative dimension");
        refusedSafetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}",
                4,
                "64-bit integers");
    }

    @Test
    void safetensorsOffsetsThatAreNegativeOutsideOrOverlappingAreRefused() throws IOException {
        refusedSafetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4, "outside the data section");
        refusedSafetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[0,4000000]}}",
                16,
                "outside the data section");
        refusedSafetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 8, "for 8 bytes of F32[2]");
        refusedSafetensors(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                12,
                "tensors a and b overlap");
    }

    @Test
    void malformedSafetensorsHeadersAreRefused() throws IOException {
        refusedSafetensors("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "needs dtype, shape");
        refusedSafetensors("{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "Q7");
        refusedSafetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                4,
                "Duplicate field 'w'");
        refusedSafetensors("[1,2,3]", 0, "not a JSON object");
        refusedSafetensors("[".repeat(5000), 0, "nesting depth");
    }

    @Test
    void aSafetensorsHeaderLargerThanTheLimitIsNotRead() throws IOException {
        Path file = dir.resolve("huge-header.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8 + SafeTensorsFile.MAX_HEADER_BYTES + 1); // sparse: the header claims all of it
            raf.write(ByteBuffer.allocate(8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(SafeTensorsFile.MAX_HEADER_BYTES + 1)
                    .array());
        }
        refused(() -> SafeTensorsFile.open(file), "at most " + SafeTensorsFile.MAX_HEADER_BYTES);
        Files.write(
                file,
                ByteBuffer.allocate(16)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(1L << 40)
                        .array());
        refused(() -> SafeTensorsFile.open(file), "not a safetensors file");
    }

    @Test
    void aWellFormedTorchFileStillReads() throws IOException {
        Path file = HostileFiles.torchZip(dir, HostileFiles.stateDict("w", 3), false, new HostileFiles.ZeroEntry(12));
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            assertArrayEquals(new float[3], f.readFloats("w"));
        }
    }

    @Test
    void aPickleThatDemandsGigabytesIsRefused() throws IOException {
        // a view of 10^10 elements over a storage of 4
        byte[] view = new HostileFiles.Pickle()
                .op('}')
                .op('(')
                .string("w")
                .tensor("0", 4, 0, new int[] {100_000, 100_000}, new int[] {0, 0})
                .op('u')
                .op('.')
                .bytes();
        refusedTorch(view, new HostileFiles.ZeroEntry(16), "does not fit its storage of 4 elements");
        // a storage of 2^31 floats: more than one Java array holds
        refusedTorch(HostileFiles.stateDict("w", Integer.MAX_VALUE), null, "at most 2 GB");
        // a storage that claims 1 GB while its entry holds 16 bytes: read up to what is there, then refused
        Path file =
                HostileFiles.torchZip(dir, HostileFiles.stateDict("w", 1 << 28), false, new HostileFiles.ZeroEntry(16));
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            refused(() -> f.readFloat32("w"), "holds 16 bytes, not the 1073741824");
        }
        // a string that claims 2 GB in a pickle of a few bytes
        byte[] longString = new HostileFiles.Pickle()
                .op('X')
                .raw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f})
                .op('.')
                .bytes();
        refusedTorch(longString, null, "only 1 bytes are left");
        // a million and one opcodes
        byte[] manyOps = new HostileFiles.Pickle()
                .raw("N0".repeat(PickleReader.MAX_OPCODES / 2 + 1).getBytes())
                .op('}')
                .op('.')
                .bytes();
        refusedTorch(manyOps, null, "more than " + PickleReader.MAX_OPCODES + " opcodes");
    }

    @Test
    void aCyclicPickleIsRefused() throws IOException {
        // state["w"] = l, where l = [l]: BINPUT the list, BINGET it back, APPEND it to itself
        byte[] selfList = new HostileFiles.Pickle()
                .op('}')
                .op('(')
                .string("w")
                .op(']')
                .op('q')
                .op(0)
                .op('h')
                .op(0)
                .op('a')
                .op('u')
                .op('.')
                .bytes();
        refusedTorch(selfList, null, "a list that contains itself");
        // d = {}; d["k"] = [d]: the cycle runs through a list
        byte[] dictCycle = new HostileFiles.Pickle()
                .op('}')
                .op('q')
                .op(0)
                .string("k")
                .op('(')
                .op('h')
                .op(0)
                .op('l')
                .op('s')
                .op('.')
                .bytes();
        refusedTorch(dictCycle, null, "a dict that contains itself");
        // a list used as a dict key would be hashed: refused before
        byte[] listKey = new HostileFiles.Pickle()
                .op('}')
                .op(']')
                .op('N')
                .op('s')
                .op('.')
                .bytes();
        refusedTorch(listKey, null, "a dict key is a list");
    }

    @Test
    void zipBombsStopAtTheLimit() throws IOException {
        // data.pkl: a valid state_dict followed by 64 MB of zeros, deflated to a few hundred kilobytes
        byte[] pickle = HostileFiles.stateDict("w", 1);
        Path file = dir.resolve("bomb.bin");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            new HostileFiles.ZeroEntry(64L << 20).writeTo(zip);
            zip.closeEntry();
        }
        assertTrue(Files.size(file) < 1 << 20, "the bomb is small: " + Files.size(file));
        refused(() -> TorchCheckpointFile.open(file), "holds more than " + TorchCheckpointFile.MAX_PICKLE_BYTES);
        // a storage of 4 floats whose entry inflates to 64 MB
        Path storageBomb =
                HostileFiles.torchZip(dir, HostileFiles.stateDict("w", 4), true, new HostileFiles.ZeroEntry(64L << 20));
        try (TorchCheckpointFile f = TorchCheckpointFile.open(storageBomb)) {
            refused(() -> f.readFloat32("w"), "holds more than 16 bytes");
        }
    }

    @Test
    void truncatedAndMalformedPicklesAreRefused() throws IOException {
        byte[] whole = HostileFiles.stateDict("w", 4);
        refusedTorch(Arrays.copyOf(whole, whole.length / 2), null, "pickle");
        refusedTorch(new HostileFiles.Pickle().op('a').op('.').bytes(), null, "malformed pickle");
        refusedTorch(
                new HostileFiles.Pickle()
                        .op(0x8b)
                        .raw(new byte[] {100, 0, 0, 0})
                        .bytes(),
                null,
                "100 bytes");
    }

    private void refusedSafetensors(String header, int dataBytes, String reason) throws IOException {
        Path file = HostileFiles.safetensors(dir, header, dataBytes);
        refused(() -> SafeTensorsFile.open(file), reason);
    }

    private void refusedTorch(byte[] pickle, HostileFiles.ZeroEntry storage, String reason) throws IOException {
        Path file = HostileFiles.torchZip(dir, pickle, false, storage);
        refused(() -> TorchCheckpointFile.open(file), reason);
    }

    private static void refused(Executable open, String reason) {
        UncheckedIOException e = assertTimeoutPreemptively(HANG, () -> assertThrows(UncheckedIOException.class, open));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
