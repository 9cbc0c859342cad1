package org.depprune.driver.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;

/**
 * Images into floats: encoded bytes (PNG, JPEG, through {@link ImageIO}), Spark's image struct,
 * and raw grey bytes (IDX) become one example in a {@link Layout}: its channel count (grey to
 * colour by copying, colour to grey by luminance), its size (or a refusal naming the fix, unless
 * the layout resizes), and its order (channels first or last), scaled to [0, 1] when the layout
 * scales.
 */
final class Pixels {
  private Pixels() {}

  /** A problem with one record (an image, a row of numbers): it is corrupt for this layout. */
  static final class BadRecord extends Exception {
    private static final long serialVersionUID = 1L;

    BadRecord(String problem) {
      super(problem);
    }
  }

  static float[] fromEncoded(byte[] bytes, Layout layout) throws BadRecord {
    BufferedImage image;
    try {
      image = bytes == null ? null : ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new BadRecord("unreadable image (" + e.getMessage() + ")");
    }
    if (image == null) {
      throw new BadRecord("unreadable image: not a PNG or JPEG that Java's ImageIO decodes");
    }
    return fromImage(image, layout);
  }

  /**
   * Spark's image struct ({@code spark.read.format("image")}): origin, height, width, nChannels,
   * mode, data (row-major, channels interleaved in OpenCV's BGR(A) order).
   */
  static float[] fromSparkImage(Row struct, Layout layout) throws BadRecord {
    if (struct == null) {
      throw new BadRecord("no image (null)");
    }
    int height = struct.getInt(struct.fieldIndex("height"));
    int width = struct.getInt(struct.fieldIndex("width"));
    int channels = struct.getInt(struct.fieldIndex("nChannels"));
    byte[] data = (byte[]) struct.get(struct.fieldIndex("data"));
    if (height <= 0 || width <= 0 || data == null || data.length != height * width * channels) {
      throw new BadRecord("an image struct of " + height + "x" + width + "x" + channels + " holding "
          + (data == null ? 0 : data.length) + " bytes");
    }
    BufferedImage image = new BufferedImage(width, height,
        channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int at = (y * width + x) * channels;
        if (channels == 1) {
          image.getRaster().setSample(x, y, 0, data[at] & 0xff);
        } else {
          int b = data[at] & 0xff;
          int g = data[at + 1] & 0xff;
          int r = data[at + 2] & 0xff;
          image.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
      }
    }
    return fromImage(image, layout);
  }

  /** Grey bytes of a {@code rows x cols} image (IDX), row-major, from {@code offset}. */
  static float[] fromGrey(byte[] pixels, int offset, int rows, int cols, Layout layout) throws BadRecord {
    if (layout.channels() == 1 && rows == layout.height() && cols == layout.width()) {
      float[] out = new float[rows * cols];
      for (int p = 0; p < out.length; p++) {
        out[p] = scaled(pixels[offset + p] & 0xff, layout);
      }
      return out;
    }
    BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
    for (int p = 0; p < rows * cols; p++) {
      image.getRaster().setSample(p % cols, p / cols, 0, pixels[offset + p] & 0xff);
    }
    return fromImage(image, layout);
  }

  static float[] fromImage(BufferedImage image, Layout layout) throws BadRecord {
    if (image.getHeight() != layout.height() || image.getWidth() != layout.width()) {
      if (!layout.resize()) {
        throw new BadRecord("an image of " + image.getHeight() + "x" + image.getWidth() + " (height x width), not "
            + layout.height() + "x" + layout.width() + ": set search.data.image.resize = true to scale it");
      }
      image = resized(image, layout.width(), layout.height());
    }
    boolean grey = image.getColorModel().getNumColorComponents() == 1;
    int h = layout.height();
    int w = layout.width();
    int c = layout.channels();
    float[] out = new float[c * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] value = new int[3];
        if (grey) {
          int v = image.getRaster().getSample(x, y, 0);
          value[0] = v;
          value[1] = v;
          value[2] = v;
        } else {
          int rgb = image.getRGB(x, y);
          value[0] = (rgb >> 16) & 0xff;
          value[1] = (rgb >> 8) & 0xff;
          value[2] = rgb & 0xff;
        }
        for (int k = 0; k < c; k++) {
          int v = c == 1 && !grey ? Math.round(0.299f * value[0] + 0.587f * value[1] + 0.114f * value[2]) : value[k];
          int at = layout.channelsLast() ? (y * w + x) * c + k : (k * h + y) * w + x;
          out[at] = scaled(v, layout);
        }
      }
    }
    return out;
  }

  private static float scaled(int v, Layout layout) {
    return layout.scale() ? v / 255f : v;
  }

  private static BufferedImage resized(BufferedImage image, int width, int height) {
    boolean grey = image.getColorModel().getNumColorComponents() == 1;
    BufferedImage out = new BufferedImage(width, height, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    return out;
  }
}
