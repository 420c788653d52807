package ai.dstack.core.api.projects;

import java.util.List;

/**
 * The answer of {@code projects/list} when {@code return_total_count} is set; otherwise the answer
 * is the bare list.
 *
 * @param totalCount how many projects match, ignoring paging
 * @param projects this page
 */
public record ProjectsInfoList(Integer totalCount, List<Project> projects) {}
