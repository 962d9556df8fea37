"""The GraphQL API (Strawberry): types, resolvers, loaders and declared permissions. Delivery only."""
