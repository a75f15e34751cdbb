// Starts GOV.UK Frontend's components. A file of our own rather than an inline script, so the
// Content-Security-Policy can refuse every inline script but GOV.UK's one js-enabled snippet.
import { initAll } from '/lib/govuk-frontend/govuk-frontend.min.js'
initAll()
