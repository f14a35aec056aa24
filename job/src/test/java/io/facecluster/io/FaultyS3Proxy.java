package io.facecluster.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault-injecting HTTP/1.1 proxy on 127.0.0.1 between S3A and {@link S3ProxyServer}. Requests are forwarded
 * byte for byte (head and body unchanged: the Host header stays what the client signed with SigV4, chunked and
 * aws-chunked bodies travel as they came, connections stay alive), except that every Nth request of a chosen
 * {@link Kind} gets the next {@link Fault} of that kind's cycle instead: deterministic, so a test that fails
 * fails the same way again. S3A must use path-style access (`/bucket/key`), which is how kinds are told apart.
 * Every injected fault is counted per kind, so tests can assert that the faults fired.
 */
public final class FaultyS3Proxy implements AutoCloseable {
  /** What a request does, from its method, path and query (path-style addressing). */
  public enum Kind { GET_OBJECT, LIST, PUT_OBJECT, UPLOAD_PART, HEAD, OTHER }

  /** What the proxy does instead of (or on top of) forwarding. */
  public enum Fault {
    /** 503 with S3's SlowDown XML body: throttling. */
    SLOW_DOWN,
    /** 500 with S3's InternalError XML body. */
    INTERNAL_ERROR,
    /** The connection is reset (RST) after the request arrived, before any response byte. */
    RESET_BEFORE_RESPONSE,
    /** The request is forwarded, and the connection reset after half of the response (head or body). */
    RESET_MID_RESPONSE,
    /** The request is forwarded after {@link #SLOW_DELAY_MS}: a slow server, within S3A's timeouts. */
    SLOW
  }

  static final long SLOW_DELAY_MS = 1500;

  private record Plan(int everyNth, Fault[] cycle) {}

  private final ServerSocket server;
  private final int upstreamPort;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-s3-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Map<Kind, Plan> plans = new EnumMap<>(Kind.class);
  private final Map<Kind, AtomicLong> requests = new EnumMap<>(Kind.class);
  private final Map<Kind, Map<Fault, AtomicLong>> injected = new EnumMap<>(Kind.class);
  private final AtomicBoolean faultsOn = new AtomicBoolean(true);
  private final List<Socket> open = new ArrayList<>();

  private FaultyS3Proxy(ServerSocket server, int upstreamPort) {
    this.server = server;
    this.upstreamPort = upstreamPort;
    for (Kind k : Kind.values()) {
      requests.put(k, new AtomicLong());
      Map<Fault, AtomicLong> byFault = new EnumMap<>(Fault.class);
      for (Fault f : Fault.values()) {
        byFault.put(f, new AtomicLong());
      }
      injected.put(k, byFault);
    }
  }

  /** A proxy on a free 127.0.0.1 port forwarding to S3Proxy (or any HTTP/1.1 server) on `upstreamPort`. */
  public static FaultyS3Proxy start(int upstreamPort) throws IOException {
    FaultyS3Proxy p = new FaultyS3Proxy(new ServerSocket(0, 64, InetAddress.getLoopbackAddress()), upstreamPort);
    p.threads.submit(p::acceptLoop);
    return p;
  }

  /** Every `everyNth` request of `kind` (the Nth, 2Nth, ...) gets the next fault of `cycle`, in turn. */
  public synchronized FaultyS3Proxy inject(Kind kind, int everyNth, Fault... cycle) {
    if (everyNth < 1 || cycle.length == 0) {
      throw new IllegalArgumentException("everyNth >= 1 and at least one fault");
    }
    plans.put(kind, new Plan(everyNth, cycle.clone()));
    return this;
  }

  /** Faults on (the default) or off: off, the proxy only forwards, and counts requests. */
  public void faults(boolean on) {
    faultsOn.set(on);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Zeroes the counts of requests and faults (the cycles go on where they were). */
  public synchronized void resetCounts() {
    requests.values().forEach(c -> c.set(0));
    injected.values().forEach(m -> m.values().forEach(c -> c.set(0)));
  }

  /** Requests of `kind` seen so far (faulted or not). */
  public long requests(Kind kind) {
    return requests.get(kind).get();
  }

  /** Faults injected so far into requests of `kind`, all faults together. */
  public long injected(Kind kind) {
    return injected.get(kind).values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long injected(Kind kind, Fault fault) {
    return injected.get(kind).get(fault).get();
  }

  /** "GET_OBJECT: 12 of 60 (SLOW_DOWN 3, ...)" per kind that saw requests, for messages and docs. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Kind k : Kind.values()) {
      if (requests(k) == 0) {
        continue;
      }
      sb.append(k).append(": ").append(injected(k)).append(" faults in ").append(requests(k)).append(" requests");
      for (Fault f : Fault.values()) {
        if (injected(k, f) > 0) {
          sb.append(", ").append(f).append(' ').append(injected(k, f));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        synchronized (open) {
          open.add(client);
        }
        threads.submit(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One client connection: requests in turn over one upstream connection (reopened when it closes). */
  private void serve(Socket client) {
    Socket upstream = null;
    InputStream upstreamIn = null;
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (true) {
        HttpMessage request = HttpMessage.readHead(in);
        if (request == null) {
          return;
        }
        Kind kind = kindOf(request);
        Fault fault = nextFault(kind);
        boolean expectContinue = "100-continue".equalsIgnoreCase(request.header("expect"));
        if (fault == Fault.SLOW_DOWN || fault == Fault.INTERNAL_ERROR) {
          if (expectContinue) {
            // The client waits for 100 before sending the body: answer now, and close, as S3 does.
            out.write(errorResponse(fault, request, true));
            out.flush();
            return;
          }
          request.readBody(in, null);
          out.write(errorResponse(fault, request, false));
          out.flush();
          continue;
        }
        if (expectContinue) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(request.head());
        request.readBody(in, raw);
        if (fault == Fault.RESET_BEFORE_RESPONSE) {
          reset(client);
          return;
        }
        if (fault == Fault.SLOW) {
          Thread.sleep(SLOW_DELAY_MS);
        }
        HttpMessage response = null;
        InputStream upIn = null;
        for (int attempt = 0; response == null; attempt++) {
          if (upstream == null || upstream.isClosed()) {
            upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
            upstreamIn = new BufferedInputStream(upstream.getInputStream());
          }
          upIn = upstreamIn;
          try {
            upstream.getOutputStream().write(raw.toByteArray());
            upstream.getOutputStream().flush();
            response = finalHead(upIn);
          } catch (IOException e) {
            response = null;
            if (attempt > 0) {
              throw e;
            }
          }
          if (response == null) {
            // The server closed the kept-alive connection while it was idle: not a fault of ours to pass
            // on uncounted, so resend once on a new connection (nothing reached the client yet).
            upstream.close();
            upstream = null;
            if (attempt > 0) {
              throw new IOException("upstream closed without a response");
            }
          }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean untilClose = response.readResponseBody(upIn, body, request.method());
        byte[] all = concat(response.head(), body.toByteArray());
        if (fault == Fault.RESET_MID_RESPONSE) {
          out.write(all, 0, all.length / 2);
          out.flush();
          reset(client);
          return;
        }
        out.write(all);
        out.flush();
        if (untilClose || "close".equalsIgnoreCase(response.header("connection"))) {
          upstream.close();
          upstream = null;
        }
        if ("close".equalsIgnoreCase(request.header("connection")) || untilClose) {
          return;
        }
      }
    } catch (IOException e) {
      // The client or the upstream went away: nothing to do but close.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (upstream != null) {
        try {
          upstream.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }
  }

  /** The final answer's head, skipping interim 1xx ones (S3Proxy's own 100 Continue: we answered it already). */
  private static HttpMessage finalHead(InputStream in) throws IOException {
    HttpMessage m;
    do {
      m = HttpMessage.readHead(in);
    } while (m != null && m.status() / 100 == 1);
    return m;
  }

  private synchronized Fault nextFault(Kind kind) {
    long n = requests.get(kind).incrementAndGet();
    Plan plan = plans.get(kind);
    if (!faultsOn.get() || plan == null || n % plan.everyNth() != 0) {
      return null;
    }
    Fault f = plan.cycle()[(int) ((n / plan.everyNth() - 1) % plan.cycle().length)];
    injected.get(kind).get(f).incrementAndGet();
    return f;
  }

  static Kind kindOf(HttpMessage request) {
    String target = request.target();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    boolean hasKey = path.indexOf('/', 1) > 0 && path.indexOf('/', 1) < path.length() - 1;
    switch (request.method()) {
      case "HEAD":
        return Kind.HEAD;
      case "GET":
        return hasKey ? Kind.GET_OBJECT : Kind.LIST;
      case "PUT":
        if (query.contains("partNumber=") && query.contains("uploadId=")) {
          return Kind.UPLOAD_PART;
        }
        // A copy (S3A's rename) is a PUT with x-amz-copy-source: counted as OTHER, not as an upload.
        return hasKey && request.header("x-amz-copy-source") == null ? Kind.PUT_OBJECT : Kind.OTHER;
      default:
        return Kind.OTHER;
    }
  }

  private static byte[] errorResponse(Fault fault, HttpMessage request, boolean close) {
    boolean slowDown = fault == Fault.SLOW_DOWN;
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + (slowDown ? "SlowDown" : "InternalError")
        + "</Code><Message>" + (slowDown ? "Please reduce your request rate." : "We encountered an internal error. "
        + "Please try again.") + "</Message><Resource>" + request.target().replace("&", "&amp;").replace("<", "&lt;")
        + "</Resource><RequestId>FAULTY0000000001</RequestId></Error>";
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    boolean head = request.method().equals("HEAD");
    String status = slowDown ? "503 Slow Down" : "500 Internal Server Error";
    String headers = "HTTP/1.1 " + status + "\r\nContent-Type: application/xml\r\nx-amz-request-id: FAULTY0000000001\r\n"
        + "Content-Length: " + (head ? 0 : body.length) + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
    return head ? headers.getBytes(StandardCharsets.ISO_8859_1)
        : concat(headers.getBytes(StandardCharsets.ISO_8859_1), body);
  }

  /** Closes with RST instead of FIN, as a dropped connection looks to the client ("Connection reset"). */
  private static void reset(Socket s) throws IOException {
    s.setSoLinger(true, 0);
    s.close();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      for (Socket s : open) {
        s.close();
      }
    }
    threads.shutdownNow();
  }
}
