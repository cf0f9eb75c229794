"""DeepSeek-V3's training cost: GPU-hours by stage times a rental price, and the comparison with Llama."""
