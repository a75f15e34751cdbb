using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Providers;

public sealed record ProviderSummary(Guid Id, string Name, ProviderKind Kind, int LaCode, string LaName, bool IsSchool, int PublishedOffers);

public sealed record PractitionerView(Guid Id, string Name, string Specialism, IReadOnlyList<Accreditation> Accreditations);

public sealed record ProviderDetail(Guid Id, string Name, ProviderKind Kind, int LaCode, string LaName, string Description,
    int? SchoolUrn, IReadOnlyList<PractitionerView> Practitioners);
