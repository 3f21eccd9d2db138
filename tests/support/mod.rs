//! Shared test support. Each test crate uses a different part of it.
#![allow(dead_code)]

pub mod carebot;
