/**
 * What the host has: CPUs, memory, disk, addresses and GPUs (read from {@code nvidia-smi} or {@code
 * amd-smi}, parsed by {@link ai.dstack.shim.host.NvidiaSmi} and {@link
 * ai.dstack.shim.host.AmdSmi}).
 */
package ai.dstack.shim.host;
