# syntax=docker/dockerfile:1
# Multi-stage build: GOV.UK Frontend assets from npm, the .NET publish, then a small runtime image that
# runs as a non-root user. Production needs ConnectionStrings__Marketplace; run the `migrate` verb once
# per release before starting new containers:
#   docker run --rm -e ConnectionStrings__Marketplace=... marketplace migrate

FROM node:20-bookworm-slim AS assets
WORKDIR /src/src/Marketplace.Web
COPY src/Marketplace.Web/package.json src/Marketplace.Web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY src/Marketplace.Web/Styles/ ./Styles/
COPY infra/scripts/build-frontend.sh /src/infra/scripts/build-frontend.sh
RUN bash /src/infra/scripts/build-frontend.sh --no-install

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Marketplace.sln ./
COPY src/Marketplace.Domain/Marketplace.Domain.csproj src/Marketplace.Domain/
COPY src/Marketplace.Application/Marketplace.Application.csproj src/Marketplace.Application/
COPY src/Marketplace.Web/Marketplace.Web.csproj src/Marketplace.Web/
RUN dotnet restore src/Marketplace.Web/Marketplace.Web.csproj
COPY src/ src/
COPY --from=assets /src/src/Marketplace.Web/wwwroot/lib/ src/Marketplace.Web/wwwroot/lib/
RUN dotnet publish src/Marketplace.Web/Marketplace.Web.csproj -c Release -o /app --no-restore \
    -p:SkipFrontendBuild=true -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
EXPOSE 8080
# The aspnet image ships a non-root "app" user; never run the service as root.
# Probes: GET /health/live (process up) and /health/ready (database reachable).
USER $APP_UID
ENTRYPOINT ["dotnet", "Marketplace.Web.dll"]
