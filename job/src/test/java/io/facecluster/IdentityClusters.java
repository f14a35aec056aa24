package io.facecluster;

/**
 * SQL over a run's faces and clusters views: per person (the folder that names the identity), the number of
 * photos, how many clusters their main (largest) faces fall into, and the smallest such cluster id. Background
 * faces are left out: in news photos they are other people.
 */
public final class IdentityClusters {
  private IdentityClusters() {}

  /**
   * @param personRegex regexp_extract pattern whose group 1 is the person, e.g. '/lfw/([^/]+)/'
   * @return SQL (for SparkTestBase.sql, so '%' is doubled) giving rows (person, photos, clusters, min cluster)
   */
  public static String mainFacesPerPerson(String faces, String clusters, String runId, String personRegex) {
    return "WITH main AS (SELECT face_id, path, row_number() OVER (PARTITION BY path "
        + "ORDER BY (box[2] - box[0]) * (box[3] - box[1]) DESC) AS rank FROM " + faces
        + " WHERE run_id = '" + runId + "' AND regexp_extract(path, '" + personRegex + "', 1) <> '') "
        + "SELECT regexp_extract(m.path, '" + personRegex + "', 1) AS person, count(*), "
        + "count(DISTINCT c.cluster_id), min(c.cluster_id) FROM main m JOIN " + clusters + " c "
        + "ON m.face_id = c.face_id AND c.run_id = '" + runId + "' WHERE m.rank = 1 "
        + "GROUP BY person ORDER BY person";
  }
}
