"""Shared fixtures: the IR verifier is on for the whole test run."""
import jitbridge.config as config

config.VERIFY_IR = True
config.CHECK_BUILTIN_REGISTRATIONS = True
