Console.WriteLine("The catalogue benchmark is not written yet.");
return 1;
