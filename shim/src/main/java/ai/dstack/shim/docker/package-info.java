/**
 * Tasks as Docker containers, through docker-java: pull (with progress), create on the host network
 * with the runner and a Java runtime bind-mounted read-only, start, wait, stop, remove.
 */
package ai.dstack.shim.docker;
