package ai.dstack.core.runs.wire;

import ai.dstack.core.agents.runner.FileArchiveMapping;
import ai.dstack.core.configurations.Configuration;
import ai.dstack.core.configurations.DevEnvironmentConfiguration;
import ai.dstack.core.configurations.RunParams;
import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.configurations.TaskConfiguration;
import ai.dstack.core.json.Json;
import ai.dstack.core.profiles.ProfileParams;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A run spec, dstack's {@code RunSpec}: the JSON a client sent, kept as sent (and written back as
 * is, so the client's own models read it back unchanged), with its configuration parsed.
 *
 * <p>Make one with {@link RunSpecs#parse}; {@link RunSpecs#withDefaults} gives the spec with the
 * server's defaults, as the server stores it and shows it as the plan's effective run spec.
 *
 * @param json the run spec object
 * @param configuration the parsed {@code configuration}: a task, dev environment or service
 * @param profile the merged profile (dstack's {@code merged_profile}): {@code profile}'s parameters
 *     overridden by the configuration's, {@code creation_policy} defaulting to {@code
 *     reuse-or-create}
 */
public record RunSpec(
    @JsonValue ObjectNode json, Configuration configuration, ProfileParams profile) {

  public RunSpec {
    json = normalized(json);
    if (!(configuration instanceof TaskConfiguration
        || configuration instanceof DevEnvironmentConfiguration
        || configuration instanceof ServiceConfiguration)) {
      throw new IllegalArgumentException("not a run configuration: " + configuration);
    }
  }

  // Numbers as JSON text reads them (IntNode, not LongNode, for small integers), so a spec equals
  // itself written and read back. A tree read from text (a stored spec, a request) is so already
  // and is only copied; any other goes through its text.
  private static ObjectNode normalized(ObjectNode json) {
    if (asTextReadsIt(json)) {
      return json.deepCopy();
    }
    try {
      return (ObjectNode) Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /** Whether every value of the tree is the node reading its JSON text would give. */
  private static boolean asTextReadsIt(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT, ARRAY -> {
        for (var child : node) {
          if (!asTextReadsIt(child)) {
            yield false;
          }
        }
        yield true;
      }
      case STRING, BOOLEAN, NULL -> true;
      case NUMBER ->
          switch (node) {
            case IntNode i -> true;
            case LongNode l -> !l.canConvertToInt();
            case BigIntegerNode b -> !b.canConvertToLong();
            case DoubleNode d -> Double.isFinite(d.doubleValue());
            default -> false;
          };
      default -> false;
    };
  }

  /** Reads a stored or sent run spec; see {@link RunSpecs#parse}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static RunSpec fromJson(JsonNode json) {
    return RunSpecs.parse(json);
  }

  /** A copy of the JSON object (the record keeps its own). */
  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** {@code run_name}, or null before the server names the run. */
  public String runName() {
    return text("run_name");
  }

  /** {@code repo_id}; {@code "none"} is the virtual repo. */
  public String repoId() {
    return text("repo_id");
  }

  /** {@code repo_data}, discriminated by {@code repo_type}, or null. */
  public JsonNode repoData() {
    var data = json.get("repo_data");
    return data == null || data.isNull() ? null : data.deepCopy();
  }

  /** {@code repo_code_hash}: the uploaded code (a diff or an archive), or null for none. */
  public String repoCodeHash() {
    return text("repo_code_hash");
  }

  /** {@code repo_dir} as sent by clients before 0.20, or null. */
  public String repoDir() {
    return text("repo_dir");
  }

  /** {@code ssh_key_pub}: the key to reach the run's containers with, or null before defaults. */
  public String sshKeyPub() {
    return text("ssh_key_pub");
  }

  /** {@code configuration_path}: the file the configuration came from, or null. */
  public String configurationPath() {
    return text("configuration_path");
  }

  /** {@code file_archives}: uploaded archives and where they go in the container. */
  public List<FileArchiveMapping> fileArchives() {
    var archives = new ArrayList<FileArchiveMapping>();
    var node = json.get("file_archives");
    if (node != null && node.isArray()) {
      node.forEach(
          a ->
              archives.add(new FileArchiveMapping(a.path("id").asText(), a.path("path").asText())));
    }
    return List.copyOf(archives);
  }

  /** The configuration's {@code type}: {@code task}, {@code dev-environment} or {@code service}. */
  public String type() {
    return configuration.type();
  }

  /** The container fields every run configuration has (image, env, resources, volumes, ...). */
  public RunParams params() {
    return RunSpecs.paramsOf(configuration);
  }

  private String text(String field) {
    var node = json.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }
}
