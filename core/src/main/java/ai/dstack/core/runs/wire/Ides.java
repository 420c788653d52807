package ai.dstack.core.runs.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The desktop IDEs a dev environment can be opened in, and the commands dstack runs for them at
 * startup: installing the IDE's server at a pinned version, and printing the link to open the
 * environment (dstack's {@code services/ides}).
 */
enum Ides {
  VSCODE("vscode", "VS Code", "vscode", "~/.vscode-server/bin/\"%s\"", "code-server"),
  CURSOR(
      "cursor",
      "Cursor",
      "cursor",
      "~/.cursor-server/cli/servers/\"Stable-%s\"/server",
      "cursor-server"),
  WINDSURF("windsurf", "Windsurf", "windsurf", "~/.windsurf-server/bin/\"%s\"", "windsurf-server"),
  ZED("zed", "Zed", "zed", null, null);

  /** The extensions installed into VS Code-like IDEs' servers. */
  static final List<String> EXTENSIONS = List.of("ms-python.python", "ms-toolsai.jupyter");

  private final String id;
  private final String title;
  private final String urlScheme;
  private final String target;
  private final String server;

  Ides(String id, String title, String urlScheme, String target, String server) {
    this.id = id;
    this.title = title;
    this.urlScheme = urlScheme;
    this.target = target;
    this.server = server;
  }

  /** The IDE written as {@code ide:}, or null for none. */
  static Ides of(String ide) {
    if (ide == null) {
      return null;
    }
    for (var value : values()) {
      if (value.id.equals(ide)) {
        return value;
      }
    }
    throw new InvalidRunSpecException("Unsupported IDE: " + ide);
  }

  /** Commands installing the IDE's server at {@code version} (none without a version). */
  List<String> installCommands(String version, List<String> extensions) {
    if (this == ZED || version == null) {
      return List.of();
    }
    String url;
    String archive;
    String dir;
    switch (this) {
      case VSCODE -> {
        url =
            "https://update.code.visualstudio.com/commit:" + version + "/server-linux-$arch/stable";
        archive = "vscode-server-linux-$arch.tar.gz";
        dir = target.formatted(version);
      }
      case CURSOR -> {
        url =
            "https://cursor.blob.core.windows.net/remote-releases/"
                + version
                + "/vscode-reh-linux-$arch.tar.gz";
        archive = "vscode-reh-linux-$arch.tar.gz";
        dir = target.formatted(version);
      }
      default -> {
        var parts = version.split("@", -1);
        if (parts.length != 2) {
          throw new InvalidRunSpecException(
              "Windsurf version must be written as version@commit, got " + version);
        }
        url =
            "https://windsurf-stable.codeiumdata.com/linux-reh-$arch/stable/"
                + parts[1]
                + "/windsurf-reh-linux-$arch-"
                + parts[0]
                + ".tar.gz";
        archive = "windsurf-reh-linux-$arch.tar.gz";
        dir = target.formatted(parts[1]);
      }
    }
    var commands = new ArrayList<String>();
    commands.add("if [ $(uname -m) = \"aarch64\" ]; then arch=\"arm64\"; else arch=\"x64\"; fi");
    commands.add("mkdir -p /tmp");
    commands.add("wget -q --show-progress \"" + url + "\" -O \"/tmp/" + archive + "\"");
    commands.add("mkdir -vp " + dir);
    commands.add(
        "tar --no-same-owner -xz --strip-components=1 -C " + dir + " -f \"/tmp/" + archive + "\"");
    commands.add("rm \"/tmp/" + archive + "\"");
    if (!extensions.isEmpty()) {
      var flags =
          String.join(
              " ", extensions.stream().map(e -> "--install-extension \"" + e + "\"").toList());
      commands.add("PATH=\"$PATH\":" + dir + "/bin " + server + " " + flags);
    }
    return commands;
  }

  /** The link that opens the environment reached over SSH as {@code authority}. */
  String url(String authority, String workingDir) {
    if (this == ZED) {
      return "zed://ssh/" + authority + workingDir;
    }
    return urlScheme + "://vscode-remote/ssh-remote+" + authority + workingDir;
  }

  /** Commands printing how to open the environment in the IDE. */
  List<String> printReadmeCommands(String authority) {
    return List.of(
        "echo 'To open in " + title + ", use link below:'",
        "echo",
        "echo \"  " + url(authority, "$DSTACK_WORKING_DIR") + "\"",
        "echo");
  }
}
