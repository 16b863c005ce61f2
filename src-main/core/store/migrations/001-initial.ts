// v1: the tables the engine, the audit trail and the backtest lab need. Times are epoch SECONDS (UTC, may carry
// fractions); money in US dollars as REAL (cents precision is all a futures P&L needs); prices in index points.
export const v1 = `
CREATE TABLE bars (
  symbol TEXT NOT NULL,
  bar_seconds INTEGER NOT NULL,
  time INTEGER NOT NULL,
  open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL,
  PRIMARY KEY (symbol, bar_seconds, time)
) WITHOUT ROWID;

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  order_ref TEXT NOT NULL UNIQUE,
  intent_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('entry','target','stop','exit','flatten')),
  symbol TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('BUY','SELL')),
  qty INTEGER NOT NULL CHECK (qty > 0),
  type TEXT NOT NULL CHECK (type IN ('MKT','LMT','STP')),
  limit_price REAL,
  stop_price REAL,
  parent_ref TEXT,
  state TEXT NOT NULL,
  broker_order_id INTEGER,
  perm_id INTEGER,
  filled_qty INTEGER NOT NULL DEFAULT 0,
  avg_fill_price REAL,
  created_at REAL NOT NULL,
  updated_at REAL NOT NULL
);
CREATE INDEX orders_intent ON orders(intent_id);
CREATE INDEX orders_state ON orders(state);

CREATE TABLE order_events (
  id INTEGER PRIMARY KEY,
  order_ref TEXT NOT NULL REFERENCES orders(order_ref),
  time REAL NOT NULL,
  state TEXT NOT NULL,
  filled_qty INTEGER,
  detail TEXT
);
CREATE INDEX order_events_ref ON order_events(order_ref);

CREATE TABLE executions (
  exec_id TEXT PRIMARY KEY,
  order_ref TEXT,
  broker_order_id INTEGER,
  side TEXT NOT NULL CHECK (side IN ('BOT','SLD')),
  qty INTEGER NOT NULL CHECK (qty > 0),
  price REAL NOT NULL,
  time REAL NOT NULL,
  commission REAL
) WITHOUT ROWID;
CREATE INDEX executions_time ON executions(time);

CREATE TABLE trades (
  id INTEGER PRIMARY KEY,
  side TEXT NOT NULL CHECK (side IN ('long','short')),
  qty INTEGER NOT NULL,
  entry_time REAL NOT NULL, entry_price REAL NOT NULL,
  exit_time REAL NOT NULL, exit_price REAL NOT NULL,
  pnl_usd REAL NOT NULL, commission_usd REAL NOT NULL,
  exit_reason TEXT NOT NULL,
  trading_day INTEGER NOT NULL
);
CREATE INDEX trades_day ON trades(trading_day);

CREATE TABLE daily_pnl (
  trading_day INTEGER PRIMARY KEY,
  realized_usd REAL NOT NULL,
  commissions_usd REAL NOT NULL,
  trades INTEGER NOT NULL,
  wins INTEGER NOT NULL,
  losses INTEGER NOT NULL
);

CREATE TABLE engine_snapshots (
  id INTEGER PRIMARY KEY,
  time REAL NOT NULL,
  state_json TEXT NOT NULL
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  time REAL NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  message TEXT NOT NULL,
  detail_json TEXT
);
CREATE INDEX audit_time ON audit_log(time);

CREATE TABLE alerts_outbox (
  id INTEGER PRIMARY KEY,
  created_at REAL NOT NULL,
  category TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('info','warning','critical')),
  text TEXT NOT NULL,
  delivered_at REAL
);

CREATE TABLE backtest_runs (
  id INTEGER PRIMARY KEY,
  created_at REAL NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('backtest','optimize','walkforward')),
  params_json TEXT NOT NULL,
  metrics_json TEXT NOT NULL,
  trades_json TEXT NOT NULL,
  equity_json TEXT NOT NULL
);

CREATE TABLE walkforward_results (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES backtest_runs(id) ON DELETE CASCADE,
  fold INTEGER NOT NULL,
  train_metrics_json TEXT NOT NULL,
  validation_metrics_json TEXT NOT NULL,
  best_params_json TEXT NOT NULL,
  UNIQUE (run_id, fold)
);
`;
