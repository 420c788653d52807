/**
 * Reading configuration files: YAML 1.1 as PyYAML reads it, with positions, and a small kit of
 * readers that parse values, collect every problem with file, line, column and field path, and
 * generate the JSON Schema from the same definitions.
 */
package ai.dstack.core.yaml;
