/**
 * Tasks as host processes, for hosts without Docker: the runner runs in the task's directory as the
 * leader of its own process group, so stopping it reaches everything it started.
 */
package ai.dstack.shim.process;
