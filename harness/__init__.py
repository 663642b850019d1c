"""Test harness shared by the tests and the benchmarks: throwaway databases, a record
factory, a real SIP stack (Kamailio and sipp)."""
