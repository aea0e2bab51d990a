"""The integrated report: findings, merges, the report model, rendering and aggregation."""
