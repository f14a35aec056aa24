package io.facecluster.io;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The head of one HTTP/1.1 request or response as it came over the wire (kept as raw bytes, so that a proxy
 * forwards it unchanged), with just enough parsing to frame its body: Content-Length, chunked, or until close.
 */
final class HttpMessage {
  private final byte[] head;
  private final String firstLine;
  private final Map<String, String> headers;

  private HttpMessage(byte[] head, String firstLine, Map<String, String> headers) {
    this.head = head;
    this.firstLine = firstLine;
    this.headers = headers;
  }

  /** The next head on `in`, or null at a clean end of stream (the peer closed between messages). */
  static HttpMessage readHead(InputStream in) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (raw.size() == 0) {
          return null;
        }
        throw new EOFException("stream ended inside an HTTP head");
      }
      raw.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    byte[] bytes = raw.toByteArray();
    String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return new HttpMessage(bytes, lines[0], headers);
  }

  byte[] head() {
    return head;
  }

  /** A header's value by case-insensitive name, or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  String method() {
    return firstLine.substring(0, firstLine.indexOf(' '));
  }

  /** The request target: path and query as sent. */
  String target() {
    String[] parts = firstLine.split(" ");
    return parts[1];
  }

  int status() {
    return Integer.parseInt(firstLine.split(" ")[1]);
  }

  /** Copies a request's body (raw, framing included) to `sink`, or skips it when `sink` is null. */
  void readBody(InputStream in, OutputStream sink) throws IOException {
    if (chunked()) {
      copyChunked(in, sink);
    } else if (header("content-length") != null) {
      copy(in, sink, Long.parseLong(header("content-length")));
    }
  }

  /**
   * Copies a response's body (raw) to `sink`; returns true when the body runs until the connection closes
   * (neither a length nor chunked), after which the connection cannot be reused.
   */
  boolean readResponseBody(InputStream in, OutputStream sink, String requestMethod) throws IOException {
    int status = status();
    if (requestMethod.equals("HEAD") || status == 204 || status == 304) {
      return false;
    }
    if (chunked()) {
      copyChunked(in, sink);
      return false;
    }
    if (header("content-length") != null) {
      copy(in, sink, Long.parseLong(header("content-length")));
      return false;
    }
    in.transferTo(sink);
    return true;
  }

  private boolean chunked() {
    String te = header("transfer-encoding");
    return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
  }

  private static void copy(InputStream in, OutputStream sink, long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new EOFException(n + " bytes of a body missing");
      }
      if (sink != null) {
        sink.write(buf, 0, r);
      }
      n -= r;
    }
  }

  /** Chunks as they come: size line, data, CRLF; a zero chunk, then trailer lines up to an empty line. */
  private static void copyChunked(InputStream in, OutputStream sink) throws IOException {
    while (true) {
      String sizeLine = line(in, sink);
      int semi = sizeLine.indexOf(';');
      long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!line(in, sink).isEmpty()) {
          // trailers
        }
        return;
      }
      copy(in, sink, size + 2);
    }
  }

  private static String line(InputStream in, OutputStream sink) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("stream ended inside a chunked body");
      }
      if (sink != null) {
        sink.write(c);
      }
      if (prev == '\r' && c == '\n') {
        byte[] bytes = b.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
      prev = c;
    }
  }
}
