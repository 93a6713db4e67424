package dev.pictor.store;

import dev.pictor.core.Platform;

import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.Requester;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobView;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How a row of {@code jobs} (and its {@code job_posts}) reads back as a {@link JobView}, and the column codecs. */
final class JobRows {
    private JobRows() {
    }

    /** The job in the current row of {@code rs} (a {@code SELECT *} of {@code jobs}), its request rebuilt against {@code catalog}; no posts. */
    static JobView view(ResultSet rs, ModelCatalog catalog) throws SQLException {
        var who = new Requester(Platform.of(rs.getString("platform")), rs.getString("user_id"), rs.getString("user_name"),
                rs.getString("community_id"), rs.getString("bot_profile"), rs.getString("role_plan"));
        Long seedAsked = getLong(rs, "seed_asked");
        var request = catalog.restore(who, rs.getString("prompt"), rs.getString("model"), rs.getString("aspect"),
                rs.getInt("images_asked"), seedAsked, rs.getInt("enhance") == 1);
        Long seed = getLong(rs, "seed");
        Long finished = getLong(rs, "finished_at");
        return new JobView(rs.getString("id"), request, JobStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                rs.getString("provider"), rs.getString("provider_model"), rs.getInt("images_delivered"),
                seed != null ? seed : seedAsked, rs.getString("revised_prompt"),
                Instant.ofEpochMilli(rs.getLong("created_at")), finished == null ? null : Instant.ofEpochMilli(finished));
    }

    /** {@code v} with {@code posts}. */
    static JobView withPosts(JobView v, List<JobPost> posts) {
        return new JobView(v.id(), v.request(), v.status(), v.provider(), v.providerModel(), v.delivered(), v.seed(),
                v.revisedPrompt(), v.createdAt(), v.finishedAt(), posts);
    }

    /** The messages a job posted, in the order they were recorded. */
    static List<JobPost> posts(Database d, String jobId) throws SQLException {
        PreparedStatement ps = d.prepared("SELECT chat, message, images FROM job_posts WHERE job_id = ? ORDER BY " + d.dialect().postOrder());
        ps.setString(1, jobId);
        var out = new ArrayList<JobPost>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new JobPost(rs.getString(1), rs.getString(2), rs.getInt(3)));
        }
        return out;
    }

    /** A status as the {@code status} column holds it. */
    static String name(JobStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER);
        else ps.setLong(i, v);
    }

    static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
