package org.depprune.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PixelsTest {
  /** A 2x3 (height x width) colour image whose pixel (x, y) is r = 10x + y, g = 100, b = 200. */
  static BufferedImage colour() {
    BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        image.setRGB(x, y, ((10 * x + y) << 16) | (100 << 8) | 200);
      }
    }
    return image;
  }

  @Test
  void colourImagesGoChannelsFirstOrLastScaledToUnit() throws Exception {
    float[] first = Pixels.fromImage(colour(), Layout.image(3, 2, 3, false, false, false, true));
    assertEquals(18, first.length);
    assertEquals(21 / 255f, first[(0 * 2 + 1) * 3 + 2], 1e-7, "red of (x 2, y 1)");
    assertEquals(100 / 255f, first[(1 * 2 + 0) * 3 + 0], 1e-7, "green");
    assertEquals(200 / 255f, first[(2 * 2 + 1) * 3 + 1], 1e-7, "blue");
    float[] last = Pixels.fromImage(colour(), Layout.image(3, 2, 3, true, false, false, true));
    assertEquals(21 / 255f, last[(1 * 3 + 2) * 3 + 0], 1e-7, "(y 1, x 2, red)");
    assertEquals(200 / 255f, last[(0 * 3 + 0) * 3 + 2], 1e-7, "(y 0, x 0, blue)");
  }

  @Test
  void colourBecomesGreyByLuminanceAndGreyBecomesColourByCopying() throws Exception {
    float[] grey = Pixels.fromImage(colour(), Layout.image(1, 2, 3, false, false, false, false));
    assertEquals(Math.round(0.299f * 0 + 0.587f * 100 + 0.114f * 200), grey[0], 0);
    byte[] pixels = {0, 50, (byte) 255, 1, 2, 3};
    float[] copied = Pixels.fromGrey(pixels, 0, 2, 3, Layout.image(3, 2, 3, false, false, false, false));
    assertArrayEquals(new float[] {0, 50, 255, 1, 2, 3, 0, 50, 255, 1, 2, 3, 0, 50, 255, 1, 2, 3}, copied);
  }

  @Test
  void anotherSizeIsRefusedWithTheFixUnlessResized() throws Exception {
    Layout small = Layout.image(3, 4, 6, false, false, false, true);
    var e = assertThrows(Pixels.BadRecord.class, () -> Pixels.fromImage(colour(), small));
    assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("4x6")
        && e.getMessage().contains("search.data.image.resize = true"), e.getMessage());
    float[] resized = Pixels.fromImage(colour(), Layout.image(3, 4, 6, false, false, true, true));
    assertEquals(3 * 4 * 6, resized.length);
    assertEquals(200 / 255f, resized[2 * 24 + 5], 1e-7, "blue is 200 everywhere, resized or not");
  }

  @Test
  void encodedBytesAndSparksImageStructDecodeAlike() throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(colour(), "png", png);
    Layout layout = Layout.image(3, 2, 3, false, false, false, true);
    float[] fromPng = Pixels.fromEncoded(png.toByteArray(), layout);
    assertArrayEquals(Pixels.fromImage(colour(), layout), fromPng);

    byte[] bgr = new byte[2 * 3 * 3];
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        int at = (y * 3 + x) * 3;
        bgr[at] = (byte) 200;
        bgr[at + 1] = 100;
        bgr[at + 2] = (byte) (10 * x + y);
      }
    }
    StructType schema = new StructType().add("origin", DataTypes.StringType).add("height", DataTypes.IntegerType)
        .add("width", DataTypes.IntegerType).add("nChannels", DataTypes.IntegerType).add("mode", DataTypes.IntegerType)
        .add("data", DataTypes.BinaryType);
    var struct = new GenericRowWithSchema(new Object[] {"x.png", 2, 3, 3, 16, bgr}, schema);
    assertArrayEquals(fromPng, Pixels.fromSparkImage(struct, layout), "OpenCV's BGR order read as RGB");

    var bad = assertThrows(Pixels.BadRecord.class, () -> Pixels.fromEncoded(new byte[] {1, 2, 3}, layout));
    assertTrue(bad.getMessage().contains("unreadable image"), bad.getMessage());
  }
}
