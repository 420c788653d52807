/**
 * The {@code .dstack.yml} configuration language: dev environments, tasks, services, fleets,
 * volumes and gateways, parsed and validated with dstack's field names and JSON shapes. Entry
 * point: {@link ai.dstack.core.configurations.ConfigurationParser}.
 */
package ai.dstack.core.configurations;
