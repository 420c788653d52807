/** {@code /api/users}: users, their global roles and their credentials. */
package ai.dstack.core.api.users;
