package ai.vtc.florence2.postprocess;

/**
 * The size of the original image in pixels, which location tokens are scaled to (the processor's {@code image_size
 * = (width, height)}: x scales with the width, y with the height).
 */
public record ImageSize(int width, int height) {

    public ImageSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "image size must be at least 1x1 pixels, got " + width + "x" + height + " (width x height)");
        }
    }

    /** {@code "W,H"}, e.g. {@code "640,480"}. */
    public static ImageSize parse(String widthCommaHeight) {
        String[] parts = widthCommaHeight.split(",", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(
                    "image size must be WIDTH,HEIGHT in pixels, e.g. 640,480; got \"" + widthCommaHeight + "\"");
        }
        try {
            return new ImageSize(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "image size must be WIDTH,HEIGHT in whole pixels, e.g. 640,480; got \"" + widthCommaHeight + "\"");
        }
    }
}
