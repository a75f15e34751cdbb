using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Schools;

public sealed record SchoolView(
    Guid Id,
    int Urn,
    string Name,
    int LaCode,
    string LaName,
    Phase Phase,
    SchoolType Type,
    string Cluster,
    int PupilsOnRoll,
    int? OfstedGrade,
    DateOnly? OfstedInspectionDate);
