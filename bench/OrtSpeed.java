// Speed of one ONNX model's session.run under whichever ONNX Runtime jar is on the classpath, one intra-op
// thread, random input, 10 warm-up runs (bench/ort-versions.sh runs it for two versions).
// Usage: java -cp onnxruntime-X.jar bench/OrtSpeed.java <model.onnx> <input shape, e.g. 32,3,112,112> <runs>
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

public class OrtSpeed {
  public static void main(String[] args) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    // the job's session options (models.OrtSessions)
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    OrtSession session = env.createSession(args[0], options);
    String input = session.getInputNames().iterator().next();
    long[] shape = Arrays.stream(args[1].split(",")).mapToLong(Long::parseLong).toArray();
    int n = (int) Arrays.stream(shape).reduce(1, (x, y) -> x * y);
    int runs = Integer.parseInt(args[2]);
    FloatBuffer data = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    Random random = new Random(7);
    for (int i = 0; i < n; i++) {
      data.put(i, (float) random.nextGaussian());
    }
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape)) {
      for (int i = 0; i < 10; i++) {
        session.run(Map.of(input, tensor)).close();
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        session.run(Map.of(input, tensor)).close();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("ORT %s %s %s: %.2f ms per run, %.1f items/s%n", env.getVersion(),
          args[0].replaceAll(".*/", ""), args[1], seconds * 1000 / runs, runs * shape[0] / seconds);
    }
  }
}
