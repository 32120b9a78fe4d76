"""The instructor's views of a class and of the course: analytics, reports, exports, assessment quality, item
validity (can a test-wise newcomer pass on cues, clones or leaks?), reading load."""
