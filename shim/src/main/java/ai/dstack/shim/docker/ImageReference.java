package ai.dstack.shim.docker;

/**
 * An image name split the way Docker's pull API takes it: {@code
 * registry.example.com:5000/team/app:1.0} is repository {@code registry.example.com:5000/team/app}
 * and tag {@code 1.0}; a digest ({@code app@sha256:...}) stands in for the tag; no tag means {@code
 * latest}.
 */
record ImageReference(String repository, String tag) {

  static ImageReference parse(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return new ImageReference(image.substring(0, at), image.substring(at + 1));
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon > slash) {
      return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
    }
    return new ImageReference(image, "latest");
  }

  /** The registry host, or "" for Docker Hub. */
  String registry() {
    int slash = repository.indexOf('/');
    if (slash < 0) {
      return "";
    }
    String first = repository.substring(0, slash);
    boolean isHost = first.contains(".") || first.contains(":") || first.equals("localhost");
    return isHost ? first : "";
  }
}
