package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.ServerTest;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** The runs' queries that run on a timer read an index, on SQLite and on PostgreSQL. */
abstract class RunStoreIndexesTest extends ServerTest {

  @Autowired JdbcTemplate jdbc;

  @Test
  void theSweepOfUnstartedRunsReadsItsPartialIndex() {
    var plan = plan(RunStore.UNSTARTED);

    assertTrue(plan.contains("runs_unstarted"), plan);
  }

  /** The query's plan; PostgreSQL is told to avoid a table scan, which a small table favours. */
  private String plan(String sql) {
    return jdbc.execute(
        (ConnectionCallback<String>)
            connection -> {
              var postgres =
                  connection.getMetaData().getDatabaseProductName().contains("PostgreSQL");
              try (var statement = connection.createStatement()) {
                if (postgres) {
                  statement.execute("SET enable_seqscan = off");
                }
                var lines = new ArrayList<String>();
                try (var rs =
                    statement.executeQuery((postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql)) {
                  while (rs.next()) {
                    lines.add(rs.getString(postgres ? 1 : 4));
                  }
                }
                if (postgres) {
                  statement.execute("RESET enable_seqscan");
                }
                return String.join("\n", lines);
              }
            });
  }
}
