// After a failed submission, move focus to the error summary so that keyboard and
// screen-reader users hear what went wrong first.
document.querySelector(".error-summary")?.focus();
