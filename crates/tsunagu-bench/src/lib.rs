//! Benchmark support. The binary `tsunagu-floor` is the floor Tsunagu is measured against: the
//! least a server can do to answer the same requests from the same SQLite file.
