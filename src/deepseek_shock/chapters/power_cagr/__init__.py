"""Data-centre electricity: growth rates, doubling times, projections and shares of US demand."""
