"""Writing the user's decisions back to the photos' metadata (sidecars by default, or the
files themselves), as a job and in the background as decisions are made."""
