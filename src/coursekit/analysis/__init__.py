"""The instructor's views of a class and of the course: analytics, reports, exports, assessment quality, reading load."""
