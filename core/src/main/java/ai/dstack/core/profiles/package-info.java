/**
 * The profile fields that runs and fleets share: where and how to provision (backends, regions,
 * spot policy, price), retry, time limits, schedules and tags, with dstack's duration grammar
 * ({@code 30s}, {@code 2h}, {@code off}). Depends only on the YAML reader kit.
 */
package ai.dstack.core.profiles;
