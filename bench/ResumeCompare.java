// Compares two runs of one input in a facecluster output (bench/resume.sh): the rows of images, faces and
// clusters but for times and the JVM that made a row, clusters as a grouping of faces (each face with the
// smallest face_id of its cluster), duplicate face_ids, and how many images rows each driver JVM of the second
// run made. Prints one line per table and "outputs equal: true|false"; exit 1 when not equal.
// Usage: java <submit.sh's --add-opens> -cp "job/target/facecluster-job.jar:$(cat job/target/embedded-classpath.txt)" \
//          bench/ResumeCompare.java <output> <undisturbed run id> <resumed run id>
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

public class ResumeCompare {
  public static void main(String[] args) {
    String out = args[0];
    String a = args[1];
    String b = args[2];
    SparkSession spark = SparkSession.builder().master("local[2]").appName("resume-compare")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "8").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    String images = "SELECT path, status, reason, width, height, face_count FROM parquet.`" + out
        + "/images` WHERE run_id = '%s'";
    String faces = "SELECT face_id, path, box, score, landmarks, embedding, embedder, gate FROM parquet.`" + out
        + "/faces` WHERE run_id = '%s'";
    String clusters = "SELECT c.face_id, IF(c.cluster_id = -1, 'noise', m.first) AS cluster FROM parquet.`" + out
        + "/clusters` c JOIN (SELECT cluster_id, min(face_id) AS first FROM parquet.`" + out
        + "/clusters` WHERE run_id = '%1$s' GROUP BY cluster_id) m ON c.cluster_id = m.cluster_id "
        + "WHERE c.run_id = '%1$s'";
    boolean equal = true;
    for (String[] t : List.of(new String[] {"images", images}, new String[] {"faces", faces},
        new String[] {"clusters", clusters})) {
      long rowsA = spark.sql(String.format(t[1], a)).count();
      long rowsB = spark.sql(String.format(t[1], b)).count();
      long onlyA = spark.sql(String.format(t[1], a)).exceptAll(spark.sql(String.format(t[1], b))).count();
      long onlyB = spark.sql(String.format(t[1], b)).exceptAll(spark.sql(String.format(t[1], a))).count();
      System.out.printf("%-8s %s: %d rows, %s: %d rows, only in %s: %d, only in %s: %d%n", t[0], a, rowsA, b, rowsB,
          a, onlyA, b, onlyB);
      equal &= rowsA == rowsB && onlyA == 0 && onlyB == 0;
    }
    Row dup = spark.sql("SELECT count(*) - count(DISTINCT face_id) FROM parquet.`" + out + "/faces` WHERE run_id = '"
        + b + "'").first();
    System.out.printf("duplicate face_ids in %s: %d%n", b, dup.getLong(0));
    equal &= dup.getLong(0) == 0;
    for (Row r : spark.sql("SELECT jvm, count(*) FROM parquet.`" + out + "/images` WHERE run_id = '" + b
        + "' GROUP BY jvm ORDER BY min(jvm)").collectAsList()) {
      System.out.printf("images rows of %s made by driver JVM %s: %d%n", b, r.getString(0), r.getLong(1));
    }
    System.out.println("outputs equal: " + equal);
    spark.stop();
    System.exit(equal ? 0 : 1);
  }
}
