// The driver's memory when the job lists a flat input folder (issue 15 item 7): runs the job's own listing
// (io.facecluster.io.InputFiles.list, as `run` calls it) on embedded local[2] Spark in this JVM, counts the rows,
// and prints the count, the time and the peak of the used heap, sampled every 50 ms (the driver and local
// mode's executor share this heap, so the number is an upper bound of the driver's part). Then it counts the
// distinct paths, so that a listing that loses or doubles a file shows.
// Usage (bench/listing-memory.sh runs it): java -Xmx<heap> <opens> -cp <job jar>:<embedded classpath> \
//   bench/ListingMemory.java <input folder> <output folder>
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.io.InputFiles;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

public class ListingMemory {
  public static void main(String[] args) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peak = new AtomicLong();
    Thread sampler = new Thread(() -> {
      while (true) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("listing-memory")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    JobConfig config = JobConfig.from(ResolvedConfig.resolve(RunOptions.ALL,
        Map.of("input", args[0], "output", args[1], "run-id", "listing"), null));
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    peak.set(baseline);
    sampler.start();
    long t0 = System.nanoTime();
    Dataset<Row> paths = InputFiles.list(spark, config);
    long rows = paths.count();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long distinct = paths.select("path").distinct().count();
    sampler.interrupt();
    System.out.printf("rows %d, distinct paths %d, list+count %.1f s, heap after start-up %d MB, "
        + "peak heap during list+count %d MB (max heap %d MB)%n", rows, distinct, seconds, baseline >> 20,
        peak.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    spark.stop();
  }
}
