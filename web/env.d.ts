// Vite's client types: CSS and asset imports (the inbox imports its own stylesheet, so it loads with
// the inbox chunk).
/// <reference types="vite/client" />
