-- Migration 0006: stored monthly reports (issue 15). One PDF per month, scope and language: the server makes every department's
-- and the centre's report on the 1st of each month and keeps it here; a re-generation on request replaces the row.
-- department_code '' is the centre (all departments); no foreign key, so a report outlives a renamed or removed department.

CREATE TABLE monthly_report (
    id               bigserial PRIMARY KEY,
    month            date NOT NULL,
    department_code  text NOT NULL DEFAULT '',
    language         text NOT NULL,
    generated_at     timestamptz NOT NULL DEFAULT now(),
    generated_by     text NOT NULL,
    build_ms         integer NOT NULL,
    pages            integer NOT NULL,
    pdf              bytea NOT NULL,
    CONSTRAINT monthly_report_first_of_month CHECK (extract(day FROM month) = 1),
    CONSTRAINT monthly_report_language CHECK (language IN ('zh-CN', 'en')),
    CONSTRAINT monthly_report_pdf CHECK (octet_length(pdf) > 4 AND substring(pdf FROM 1 FOR 4) = '\x25504446'::bytea),
    CONSTRAINT monthly_report_one UNIQUE (month, department_code, language)
);
CREATE INDEX monthly_report_month ON monthly_report (month DESC, department_code);
