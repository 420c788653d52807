/**
 * Where the server keeps its state: SQLite under the server dir by default, PostgreSQL when {@code
 * DSTACK_DATABASE_URL} names one; one Liquibase schema for both; Spring Data JDBC on top.
 */
package ai.dstack.orchestrator.persistence;
