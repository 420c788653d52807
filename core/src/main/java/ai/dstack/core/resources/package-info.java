/**
 * What a run asks of a machine: CPU, memory, shared memory, GPU and disk, with dstack's resources
 * grammar ({@code 8}, {@code 2..8}, {@code 16GB..}, {@code A100:80GB:2}, {@code arm:8}).
 */
package ai.dstack.core.resources;
