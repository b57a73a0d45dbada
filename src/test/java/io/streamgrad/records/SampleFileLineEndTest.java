package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleFileLineEndTest {
  @Test
  void shouldFindTheFirstLineEndAsAByteByByteScanDoes() {
    SplittableRandom random = new SplittableRandom(41);
    byte[] bytes = new byte[40];
    for (int trial = 0; trial < 20_000; trial++) {
      for (int i = 0; i < bytes.length; i++) { // mostly text, some bytes next to \n and \r
        int kind = random.nextInt(40);
        bytes[i] =
            (byte)
                switch (kind) {
                  case 0 -> '\n';
                  case 1 -> '\r';
                  case 2 -> 0x0B;
                  case 3 -> 0x09;
                  case 4 -> 0x8A;
                  case 5 -> 0;
                  default -> 0x20 + random.nextInt(0x5F);
                };
      }
      int from = random.nextInt(bytes.length + 1);
      int to = from + random.nextInt(bytes.length - from + 1);
      assertEquals(byteByByte(bytes, from, to), SampleFile.lineEnd(bytes, from, to));
    }
  }

  private static int byteByByte(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return to;
  }
}
