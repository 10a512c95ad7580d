"""Tests of the application layer (desk.app): the home, the service, the editing session."""
