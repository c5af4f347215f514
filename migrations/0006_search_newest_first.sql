-- Migration 6: search lists the newest customers first among equal matches. Each customer gets a
-- sequence number that grows as customers are added; their search row's rowid is its negative,
-- so the index's natural (cheap) order is "newest first".

ALTER TABLE customers ADD COLUMN search_seq INTEGER;
UPDATE customers SET search_seq = rowid;
CREATE UNIQUE INDEX customers_by_search_seq ON customers (search_seq);
UPDATE customer_search SET rowid = -rowid;
