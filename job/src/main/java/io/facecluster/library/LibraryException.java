package io.facecluster.library;

/** The library cannot take this run as asked (another embedder, a run id that cannot be redone): nothing written. */
public class LibraryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LibraryException(String message) {
    super(message);
  }
}
