FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph graph
COPY pipelines pipelines
COPY dashboards dashboards
RUN pip install --no-cache-dir .
ENV PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1
EXPOSE 8050
CMD ["gunicorn", "--bind", "0.0.0.0:8050", "--workers", "2", "dashboards.app:server"]
