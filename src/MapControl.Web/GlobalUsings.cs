global using MapControl.Data.Files;
