using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.LocalAuthorities;

public sealed record LocalAuthorityView(Guid Id, int Code, string Name, string TradingName, long CreditPricePence,
    int Schools, int Providers);
