-- Derived views (marts) over the staging views of views.sql, applied after it. Each section below
-- is owned by one part of the project; keep edits inside your own section.

-- ==================================================================================================
-- Compliance: a per-report audit against the 2019 规定 (issue 6; tests/test_compliance.py)
-- ==================================================================================================

-- grain: one row per landed report.
-- achievements, problems, leader_duty, next_plan, other_matters: the five required parts, each
--   'standalone' (a top-level heading is that part), 'nested' (only a lower heading is, e.g. the
--   第一责任人 duty as an item of part one; for leader_duty also a paragraph of part one that names
--   the 第一责任人 duty) or 'absent'. other_matters is canonical `suggestions` (其他需要报告的情况,
--   意见建议). parts_present / parts_standalone count them.
-- deadline: 1 April of report_year + 1; on_time: publish_date <= deadline, NULL when either is unknown.
-- n_chars: length of text; n_han: its Han characters; n_quantities: its metrics rows;
--   quantities_per_1k_chars = n_quantities per 1,000 characters of text.
-- problems_named: the problems parts' sub-headings; in a part without them, its 一是/二是/… items;
--   in a part with neither, the clauses of its body split at semicolons.
--   problems_with_figure: those whose span holds a quantity (metrics); problems_with_unit: those
--   naming a unit (县/市/区/省/州…局, 委员会, 办公室, 法院, 检察院); problems_specific: either.
CREATE OR REPLACE VIEW compliance AS
WITH report_base AS (  -- the landed reports (copies left out), without their text (a CTE used twice is
                      -- materialized: the text would be held in memory and carried through every join)
    SELECT report_id, source_path, region, province, admin_level, report_year, publish_date, n_chars
    FROM reports
    WHERE duplicate_of IS NULL
),
part_names AS (
    SELECT * FROM (VALUES ('achievements'), ('problems'), ('leader_duty'), ('next_plan'), ('suggestions')) AS t(part)
),
part_forms AS (
    SELECT s.report_id, s.canonical AS part, min(s.level) AS top_level
    FROM sections AS s JOIN part_names AS p ON s.canonical = p.part
    GROUP BY ALL
),
top_parts AS (  -- the parts' one read of the text: the level-1 achievements and problems parts of the
                -- landed reports; of an achievements part whether it names the 第一责任人 duty, of a
                -- problems part its text (the only text that travels on: every problem below lies
                -- inside its part)
    SELECT report_id, section_id, canonical, char_start, char_end,
           canonical = 'achievements' AND strpos(part_text, '第一责任人') > 0 AS names_leader_duty,
           CASE WHEN canonical = 'problems' THEN part_text END AS part_text
    FROM (SELECT s.report_id, s.section_id, s.canonical, s.char_start, s.char_end,
                 substr(r.text, s.char_start + 1, s.char_end - s.char_start) AS part_text
          FROM sections AS s JOIN reports AS r USING (report_id)
          WHERE s.level = 1 AND s.canonical IN ('achievements', 'problems') AND r.duplicate_of IS NULL)
),
leader_duty_in_text AS (  -- the duty reported in a paragraph of part one, not under its own heading
    SELECT DISTINCT report_id FROM top_parts WHERE names_leader_duty
),
leader_duty_in_titles AS (
    SELECT DISTINCT report_id FROM sections
    WHERE level > 1 AND regexp_matches(title, '第一责任人|主要负责人.{0,8}履')
),
forms AS (
    SELECT r.report_id, p.part,
           CASE WHEN f.top_level = 1 THEN 'standalone'
                WHEN f.top_level > 1 THEN 'nested'
                WHEN p.part = 'leader_duty' AND (t.report_id IS NOT NULL OR h.report_id IS NOT NULL) THEN 'nested'
                ELSE 'absent' END AS form
    FROM report_base AS r
    CROSS JOIN part_names AS p
    LEFT JOIN part_forms AS f ON f.report_id = r.report_id AND f.part = p.part
    LEFT JOIN leader_duty_in_text AS t ON t.report_id = r.report_id
    LEFT JOIN leader_duty_in_titles AS h ON h.report_id = r.report_id
),
parts AS (
    SELECT report_id,
           any_value(form) FILTER (part = 'achievements') AS achievements,
           any_value(form) FILTER (part = 'problems') AS problems,
           any_value(form) FILTER (part = 'leader_duty') AS leader_duty,
           any_value(form) FILTER (part = 'next_plan') AS next_plan,
           any_value(form) FILTER (part = 'suggestions') AS other_matters,
           count(*) FILTER (form <> 'absent') AS parts_present,
           count(*) FILTER (form = 'standalone') AS parts_standalone
    FROM forms
    GROUP BY report_id
),
problem_parts AS (  -- spans (char_start, char_end) stay offsets in the report's text; part_text begins at
                    -- the part's char_start
    SELECT report_id, section_id, char_start, char_end, part_text
    FROM top_parts
    WHERE canonical = 'problems'
),
sub_headings AS (
    SELECT c.report_id, p.section_id, c.char_start, c.char_end
    FROM sections AS c
    JOIN problem_parts AS p ON c.report_id = p.report_id AND c.parent_id = p.section_id
),
numerals AS (
    SELECT * FROM (VALUES (1, '一'), (2, '二'), (3, '三'), (4, '四'), (5, '五'), (6, '六'), (7, '七'),
                          (8, '八'), (9, '九'), (10, '十')) AS t(n, numeral)
),
plain_parts AS (  -- problems parts without sub-headings (where items and bodies are looked for)
    SELECT p.*
    FROM problem_parts AS p
    WHERE NOT EXISTS (SELECT 1 FROM sub_headings AS s WHERE s.report_id = p.report_id
                      AND s.char_start >= p.char_start AND s.char_end <= p.char_end)
),
items AS (  -- 一是…二是… in a problems part without sub-headings
    SELECT p.report_id, p.section_id, p.char_end AS part_end,
           p.char_start + strpos(p.part_text, n.numeral || '是') - 1 AS char_start
    FROM plain_parts AS p
    CROSS JOIN numerals AS n
    WHERE strpos(p.part_text, n.numeral || '是') > 0
),
bodies AS (  -- a problems part with neither: its body (after the heading line), split at semicolons
    SELECT p.report_id, p.section_id,
           p.char_start + strpos(p.part_text, chr(10)) AS body_start,
           string_split_regex(substr(p.part_text, strpos(p.part_text, chr(10)) + 1), '[;；]') AS clauses
    FROM plain_parts AS p
    WHERE NOT EXISTS (SELECT 1 FROM items AS i WHERE i.report_id = p.report_id AND i.section_id = p.section_id)
),
clauses AS (
    SELECT report_id, section_id, body_start, unnest(clauses) AS clause, generate_subscripts(clauses, 1) AS k
    FROM bodies
),
problems_named AS (  -- section_id: the problems part the problem lies in
    SELECT report_id, section_id, char_start, char_end FROM sub_headings
    UNION ALL
    SELECT report_id, section_id, char_start,
           coalesce(lead(char_start) OVER (PARTITION BY report_id, section_id ORDER BY char_start), part_end)
    FROM items
    UNION ALL
    SELECT report_id, section_id, char_end - length(clause) - 1, char_end - 1
    FROM (SELECT *, body_start + CAST(sum(length(clause) + 1) OVER (PARTITION BY report_id, section_id
                                                                        ORDER BY k) AS BIGINT) AS char_end
          FROM clauses)
    WHERE length(trim(clause)) > 1
),
problem_facts AS (  -- with_unit: on the problem's text, cut from its part's text
    SELECT q.report_id,
           EXISTS (SELECT 1 FROM metrics AS m WHERE m.report_id = q.report_id
                   AND m.char_start >= q.char_start AND m.char_start < q.char_end) AS with_figure,
           regexp_matches(substr(p.part_text, q.char_start - p.char_start + 1, q.char_end - q.char_start),
                          '(县|市|区|省|州)\p{Han}{1,8}([^格大布全结开当时]局|委员会|办公室|法院|检察院)') AS with_unit
    FROM problems_named AS q
    JOIN problem_parts AS p USING (report_id, section_id)
),
problem_counts AS (
    SELECT report_id,
           count(*) AS problems_named,
           count(*) FILTER (with_figure) AS problems_with_figure,
           count(*) FILTER (with_unit) AS problems_with_unit,
           count(*) FILTER (with_figure OR with_unit) AS problems_specific
    FROM problem_facts
    GROUP BY report_id
),
quantities AS (
    SELECT report_id, count(*) AS n_quantities FROM metrics GROUP BY report_id
),
han_counts AS (  -- n_han: the text read again, only when n_han is asked for (coverage does not)
    SELECT report_id, length(regexp_replace(text, '[^\p{Han}]', '', 'g')) AS n_han
    FROM reports
    WHERE duplicate_of IS NULL
),
final AS (
    SELECT r.report_id, r.source_path, r.region, r.province, r.admin_level, r.report_year, r.publish_date,
           p.achievements, p.problems, p.leader_duty, p.next_plan, p.other_matters,
           p.parts_present, p.parts_standalone,
           make_date(r.report_year + 1, 4, 1) AS deadline,
           r.publish_date <= make_date(r.report_year + 1, 4, 1) AS on_time,
           r.n_chars,
           h.n_han,
           coalesce(q.n_quantities, 0) AS n_quantities,
           round(coalesce(q.n_quantities, 0) * 1000.0 / nullif(r.n_chars, 0), 2) AS quantities_per_1k_chars,
           coalesce(c.problems_named, 0) AS problems_named,
           coalesce(c.problems_with_figure, 0) AS problems_with_figure,
           coalesce(c.problems_with_unit, 0) AS problems_with_unit,
           coalesce(c.problems_specific, 0) AS problems_specific
    FROM report_base AS r
    JOIN han_counts AS h USING (report_id)
    JOIN parts AS p USING (report_id)
    LEFT JOIN quantities AS q USING (report_id)
    LEFT JOIN problem_counts AS c USING (report_id)
)
SELECT * FROM final;

-- ==================================================================================================
-- end of compliance
-- ==================================================================================================

-- ==================================================================================================
-- Analyst marts: indicator_panel, yoy, coverage (README "SQL cookbook"; tests/test_marts.py)
-- ==================================================================================================

-- grain: one row per region, province, admin_level, report_year and indicator.
-- value: the FIRST level statement of the indicator in the report, in text order (reports state a
-- headline total before its breakdowns: 受理…23件,其中…). kind='change' rows never enter.
-- Reports without a region or report_year are left out (a panel needs a place and a year). When
-- several reports share a region, admin_level and year (a report landed twice from two files, or two
-- departments of one place), the one published last wins (then the smallest report_id);
-- n_reports says how many stated the indicator.
CREATE OR REPLACE VIEW indicator_panel AS
WITH placed_reports AS (
    SELECT report_id, region, province, admin_level, report_year, publish_date
    FROM reports
    WHERE region IS NOT NULL AND report_year IS NOT NULL AND duplicate_of IS NULL
),
level_statements AS (
    SELECT report_id, indicator, section_id, sentence, surface, value, unit, approx, char_start
    FROM metrics
    WHERE kind = 'level' AND indicator IS NOT NULL AND value IS NOT NULL
),
first_per_report AS (
    SELECT l.*, count(*) OVER (PARTITION BY l.report_id, l.indicator) AS n_statements
    FROM level_statements AS l
    QUALIFY row_number() OVER (PARTITION BY l.report_id, l.indicator ORDER BY l.char_start, l.surface) = 1
),
placed AS (
    SELECT p.region, p.province, p.admin_level, p.report_year, f.indicator, f.value, f.unit, f.approx,
           f.surface, f.sentence, f.section_id, f.char_start, f.n_statements, p.report_id, p.publish_date,
           count(*) OVER (PARTITION BY p.region, p.admin_level, p.report_year, f.indicator) AS n_reports,
           row_number() OVER (PARTITION BY p.region, p.admin_level, p.report_year, f.indicator
                              ORDER BY p.publish_date DESC NULLS LAST, p.report_id) AS pick
    FROM first_per_report AS f
    JOIN placed_reports AS p USING (report_id)
),
final AS (
    SELECT region, province, admin_level, report_year, indicator, value, unit, approx, surface,
           sentence, section_id, char_start, n_statements, n_reports, report_id
    FROM placed
    WHERE pick = 1
)
SELECT * FROM final;

-- grain: one row per indicator_panel row (region, admin_level, report_year, indicator).
-- prev_*: the same region's (and admin level's) latest earlier report that states the indicator.
-- change_abs = value - prev_value; change_pct = relative change in %.
-- stated_*: the change the report states for this very level (metrics kind='change', signed: a
-- decline is negative), in its own unit: '%' (relative), '百分点' (rate points) or a count unit.
-- Changes carry no indicator, so they are paired by position within the sentence: a run of changes
-- right after a run of levels pairs one to one when the runs are as long (受理2690件、审结2467件,
-- 分别增长58.61%、57.94%), and a single change pairs with the level just before it (受理1126件,
-- 同比增长14.2%); anything else pairs nothing.
-- disagrees: TRUE when the stated change differs from the computed one by more than rounding can
-- explain (half a unit of the stated change's last digit, plus what rounding the two levels to their
-- written digits can move the computed change); NULL when it cannot be judged: no stated change, no
-- level for the year before (a 同比 change compares with the previous year only), an approximate
-- level (余/约/…), a unit that does not fit the level's, or a '%' change on a previous value of 0.
CREATE OR REPLACE VIEW yoy AS
WITH panel AS (
    SELECT *,
           -- half a unit of the last written digit, in the value's own scale (6.2万 → 500)
           0.5 * pow(10, -length(regexp_extract(surface, '\.(\d+)', 1)))
               * CASE WHEN surface LIKE '%亿%' THEN 1e8 WHEN surface LIKE '%万%' THEN 1e4 ELSE 1 END
               AS half_ulp
    FROM indicator_panel
),
with_previous AS (
    SELECT *,
           lag(report_year) OVER w AS prev_year,
           lag(value) OVER w AS prev_value,
           lag(approx) OVER w AS prev_approx,
           lag(half_ulp) OVER w AS prev_half_ulp,
           lag(report_id) OVER w AS prev_report_id
    FROM panel
    WINDOW w AS (PARTITION BY region, admin_level, indicator ORDER BY report_year)
),
changed_sentences AS (  -- only a sentence that states a change can pair one with a level
    SELECT DISTINCT report_id, sentence FROM metrics WHERE kind = 'change' AND sentence IS NOT NULL
),
statements AS (  -- every quantity of such a sentence, numbered, in runs of the same kind
    SELECT report_id, sentence, char_start, kind, value, unit, surface,
           row_number() OVER (PARTITION BY report_id, sentence ORDER BY char_start)
             - row_number() OVER (PARTITION BY report_id, sentence, kind ORDER BY char_start) AS run
    FROM metrics JOIN changed_sentences USING (report_id, sentence)
    WHERE kind IN ('level', 'change')
),
runs AS (
    SELECT *,
           row_number() OVER (r ORDER BY char_start) AS run_index,
           count(*) OVER r AS run_length,
           min(char_start) OVER r AS run_start,
           max(char_start) OVER r AS run_end
    FROM statements
    WINDOW r AS (PARTITION BY report_id, sentence, kind, run)
),
stated_changes AS (
    SELECT l.report_id, l.char_start, c.value AS stated_change, c.unit AS stated_change_unit,
           c.surface AS stated_change_surface,
           0.5 * pow(10, -length(regexp_extract(c.surface, '\.(\d+)', 1))) AS stated_half_ulp
    FROM runs AS l
    JOIN runs AS c ON c.report_id = l.report_id AND c.sentence = l.sentence AND c.kind = 'change'
    WHERE l.kind = 'level'
      -- the change run is the next run of the sentence
      AND c.run_start > l.run_end
      AND NOT EXISTS (SELECT 1 FROM statements AS between_runs
                      WHERE between_runs.report_id = l.report_id AND between_runs.sentence = l.sentence
                        AND between_runs.char_start > l.run_end AND between_runs.char_start < c.run_start)
      AND ((c.run_length = l.run_length AND c.run_index = l.run_index)
           OR (c.run_length = 1 AND l.run_index = l.run_length))
),
computed AS (
    SELECT w.*, s.stated_change, s.stated_change_unit, s.stated_change_surface, s.stated_half_ulp,
           w.value - w.prev_value AS change_abs,
           CASE WHEN w.prev_value <> 0 THEN 100 * (w.value - w.prev_value) / abs(w.prev_value) END AS change_pct,
           -- how far rounding the two levels can move each computed change
           w.half_ulp + w.prev_half_ulp AS slack_abs,
           CASE WHEN w.prev_value <> 0
                THEN 100 * (w.half_ulp / abs(w.prev_value) + abs(w.value) * w.prev_half_ulp / (w.prev_value * w.prev_value))
           END AS slack_pct
    FROM with_previous AS w
    LEFT JOIN stated_changes AS s USING (report_id, char_start)
),
judged AS (
    SELECT *,
           CASE
               WHEN stated_change IS NULL OR prev_value IS NULL OR prev_year <> report_year - 1
                    OR approx IS NOT NULL OR prev_approx IS NOT NULL THEN NULL
               -- points only fit a rate; a count change only the level's own unit
               WHEN stated_change_unit = '百分点' AND unit <> '%' THEN NULL
               WHEN stated_change_unit NOT IN ('%', '百分点') AND stated_change_unit <> unit THEN NULL
               -- a '%' change of a rate may mean relative change or points: it disagrees only when
               -- neither reading fits
               WHEN stated_change_unit = '%' AND unit = '%' THEN
                   abs(stated_change - change_abs) > stated_half_ulp + slack_abs + 1e-9
                   AND coalesce(abs(stated_change - change_pct) > stated_half_ulp + slack_pct + 1e-9, TRUE)
               WHEN stated_change_unit = '%' THEN
                   CASE WHEN change_pct IS NOT NULL
                        THEN abs(stated_change - change_pct) > stated_half_ulp + slack_pct + 1e-9 END
               ELSE abs(stated_change - change_abs) > stated_half_ulp + slack_abs + 1e-9
           END AS disagrees
    FROM computed
),
final AS (
    SELECT region, province, admin_level, report_year, indicator, value, unit, approx, report_id,
           prev_year, prev_value, prev_approx, prev_report_id, change_abs, change_pct,
           stated_change, stated_change_unit, stated_change_surface, disagrees
    FROM judged
)
SELECT * FROM final;

-- grain: one row per province, admin_level and report_year (NULL = not known), over all landed
-- reports. Built on `compliance` (above), which says for each report how each of the five parts is
-- present: as a top-level heading ('standalone'), only inside another part ('nested'), or 'absent'.
-- with_<part>: reports where the part is present in either form; standalone_<part>: as a top-level
-- heading (sections.canonical at level 1); share_<part> = with_<part> / reports. The fifth part,
-- 其他需要报告的情况 / 意见建议, is `suggestions` (compliance.other_matters).
-- on_time / late: reports published by / after 1 April of report_year + 1 (neither when the date is
-- not known).
CREATE OR REPLACE VIEW coverage AS
WITH per_report AS (
    SELECT province, admin_level, report_year, on_time,
           achievements, problems, leader_duty, next_plan, other_matters AS suggestions
    FROM compliance
),
final AS (
    SELECT province, admin_level, report_year,
           count(*) AS reports,
           count(*) FILTER (achievements <> 'absent') AS with_achievements,
           count(*) FILTER (problems <> 'absent') AS with_problems,
           count(*) FILTER (leader_duty <> 'absent') AS with_leader_duty,
           count(*) FILTER (next_plan <> 'absent') AS with_next_plan,
           count(*) FILTER (suggestions <> 'absent') AS with_suggestions,
           count(*) FILTER ('absent' NOT IN (achievements, problems, leader_duty, next_plan, suggestions))
               AS with_all_five,
           count(*) FILTER (achievements = 'standalone') AS standalone_achievements,
           count(*) FILTER (problems = 'standalone') AS standalone_problems,
           count(*) FILTER (leader_duty = 'standalone') AS standalone_leader_duty,
           count(*) FILTER (next_plan = 'standalone') AS standalone_next_plan,
           count(*) FILTER (suggestions = 'standalone') AS standalone_suggestions,
           count(*) FILTER (achievements = 'standalone' AND problems = 'standalone' AND leader_duty = 'standalone'
                            AND next_plan = 'standalone' AND suggestions = 'standalone') AS standalone_all_five,
           with_achievements / reports AS share_achievements,
           with_problems / reports AS share_problems,
           with_leader_duty / reports AS share_leader_duty,
           with_next_plan / reports AS share_next_plan,
           with_suggestions / reports AS share_suggestions,
           with_all_five / reports AS share_all_five,
           count(*) FILTER (on_time) AS on_time,
           count(*) FILTER (NOT on_time) AS late
    FROM per_report
    GROUP BY province, admin_level, report_year
)
SELECT * FROM final;

-- ==================================================================================================
-- end of the analyst marts
-- ==================================================================================================
