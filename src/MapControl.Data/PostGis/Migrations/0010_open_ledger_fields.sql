-- Migration 0010: ledger fields as centres keep them (docs/DEFINITIONS.md "Ledgers as people keep them").
-- A case whose ledger gives no discovery time keeps discovered_at NULL — never the occurrence time — so the timely-discovery
-- rate can leave it out (the rule: Core/Kpi/KpiCalculator.cs). The check discovered_at >= occurred_at holds for known times.

ALTER TABLE incident ALTER COLUMN discovered_at DROP NOT NULL;
