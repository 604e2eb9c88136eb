-- An outlet's page (``outlet_detail``) reads its articles by outlet: counts per day, its
-- stories, its reuse pairs and its latest articles, each through this index.
CREATE INDEX articles_outlet ON articles (outlet, published);
