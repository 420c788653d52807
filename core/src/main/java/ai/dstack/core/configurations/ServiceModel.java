package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;
import java.util.Map;

/**
 * The chat model a service serves, for dstack's OpenAI-compatible endpoint: written as the model
 * name alone (served in OpenAI format under {@code /v1}) or as an object with its {@code format}
 * ({@code openai} or {@code tgi}).
 */
public sealed interface ServiceModel {

  /** The model's name. */
  String name();

  /** A model served with an OpenAI-compatible API under {@code prefix}. */
  record OpenAi(String type, String name, String format, String prefix) implements ServiceModel {
    public OpenAi(String name) {
      this("chat", name, "openai", "/v1");
    }
  }

  /** A model served by Hugging Face's TGI, optionally with its chat template and EOS token. */
  record Tgi(String type, String name, String format, String chatTemplate, String eosToken)
      implements ServiceModel {}

  Field<String> TYPE = Field.of("type", Readers.oneOf("chat"), "The model type: chat");
  Field<String> NAME = Field.required("name", Readers.STRING, "The model name");
  Field<String> FORMAT = Field.required("format", Readers.oneOf("openai", "tgi"), "openai or tgi");
  Field<String> PREFIX =
      Field.of("prefix", Readers.STRING, "The path prefix of the OpenAI API (default /v1)");
  Field<String> CHAT_TEMPLATE =
      Field.of(
          "chat_template",
          Readers.STRING,
          "The prompt template (default: the model's, from the Hugging Face Hub)");
  Field<String> EOS_TOKEN =
      Field.of(
          "eos_token",
          Readers.STRING,
          "The end-of-sentence token (default: the model's, from the Hugging Face Hub)");

  ObjectSpec OPENAI = ObjectSpec.of("an openai model", TYPE, NAME, FORMAT, PREFIX);
  ObjectSpec TGI = ObjectSpec.of("a tgi model", TYPE, NAME, FORMAT, CHAT_TEMPLATE, EOS_TOKEN);

  /** The {@code model} field. */
  ValueReader<ServiceModel> READER =
      ValueReader.of(
          Map.of("anyOf", List.of(Map.of("type", "string"), OPENAI.schema(), TGI.schema())),
          ServiceModel::read);

  private static ServiceModel read(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Scalar s && s.type() == Node.ScalarType.STR) {
      return new OpenAi(s.text());
    }
    if (!(node instanceof Node.Mapping mapping)) {
      return problems.add(
          node, path, "expected a model name or {name, format}, got " + node.describe());
    }
    var format = mapping.get("format");
    if (format == null) {
      return problems.add(
          node, path.child("format"), "is required: openai or tgi (or write the model name alone)");
    }
    var isTgi = format.value() instanceof Node.Scalar f && "tgi".equals(f.text());
    var values = (isTgi ? TGI : OPENAI).read(node, path, problems);
    if (values == null) {
      return null;
    }
    NullValues.rejectNull(values, TYPE, NAME, FORMAT);
    if (!isTgi) {
      NullValues.rejectNull(values, PREFIX);
    }
    var name = values.get(NAME);
    if (name == null || values.get(FORMAT) == null) {
      return null;
    }
    return isTgi
        ? new Tgi("chat", name, "tgi", values.get(CHAT_TEMPLATE), values.get(EOS_TOKEN))
        : new OpenAi("chat", name, "openai", values.get(PREFIX, "/v1"));
  }
}
